package io.graylight.report;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package {@code chromium}) as a subprocess: a screenshot and the DOM after
 * the page's scripts ran. Without Chromium the test is skipped, unless {@code GRAYLIGHT_REQUIRE_CHROMIUM}
 * is set (CI installs it and sets it), where a missing browser fails the test.
 */
final class HeadlessChromium {

    private final String executable;
    private final Path profile;

    private HeadlessChromium(String executable, Path profile) {
        this.executable = executable;
        this.profile = profile;
    }

    static HeadlessChromium find(Path workDir) throws IOException {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return new HeadlessChromium(candidate.toString(), Files.createDirectories(workDir.resolve("chromium-profile")));
                }
            }
        }
        String message = "headless Chromium not found on PATH (apt-get install chromium)";
        if (System.getenv("GRAYLIGHT_REQUIRE_CHROMIUM") != null) {
            fail(message);
        }
        assumeTrue(false, message);
        return null;
    }

    /** Writes a PNG of the page at the given window size. */
    void screenshot(Path html, Path png, int width, int height) throws Exception {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                html.toAbsolutePath().toUri().toString()));
        if (!Files.isRegularFile(png)) {
            fail("Chromium wrote no screenshot to " + png);
        }
    }

    /** The DOM as serialised after the page loaded and its scripts ran. */
    String dumpDom(Path html) throws Exception {
        return run(List.of("--dump-dom", "--window-size=1400,2000", html.toAbsolutePath().toUri().toString()));
    }

    private String run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(args);
        Path stdout = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        // A guard against a hung browser, not a speed check.
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish: " + Files.readString(stderr));
        }
        if (process.exitValue() != 0) {
            fail("Chromium exited " + process.exitValue() + ": " + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
