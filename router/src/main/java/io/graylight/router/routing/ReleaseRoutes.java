package io.graylight.router.routing;

import io.graylight.router.config.RouterConfig.Release;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps a request to its release: the first release (in config order) whose match holds. */
public final class ReleaseRoutes {

    private final List<Release> releases;

    public ReleaseRoutes(List<Release> releases) {
        this.releases = List.copyOf(releases);
    }

    /** The release of this request, or null when none matches. */
    public Release match(HttpServerRequest request) {
        String host = request.authority() == null ? null : request.authority().host();
        return match(host, request.path(), request.headers()::get);
    }

    public Release match(String host, String path, java.util.function.Function<String, String> header) {
        for (Release release : releases) {
            var m = release.match();
            if (m.host() != null && (host == null || !m.host().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            if (m.pathPrefix() != null && (path == null || !path.startsWith(m.pathPrefix()))) {
                continue;
            }
            boolean headersMatch = true;
            for (Map.Entry<String, String> required : m.headers().entrySet()) {
                if (!required.getValue().equals(header.apply(required.getKey()))) {
                    headersMatch = false;
                    break;
                }
            }
            if (headersMatch) {
                return release;
            }
        }
        return null;
    }

    public List<Release> releases() {
        return releases;
    }
}
