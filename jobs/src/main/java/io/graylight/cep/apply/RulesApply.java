package io.graylight.cep.apply;

import io.graylight.cep.apply.AlertJobCluster.ClusterException;
import io.graylight.cep.apply.AlertJobCluster.RunningJob;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RulesSnapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;

/**
 * {@code graylight rules apply}: replaces the running alert job by one with new rules, keeping the
 * CEP state of every rule whose shape did not change.
 *
 * <ol>
 * <li>Read and check the new rules and build the new job graph here (Flink CEP compiles every
 *     pattern): any problem ends it with {@code file:line:column} errors, the job untouched.
 * <li>Read back the running job's rules (the {@link RulesSnapshot} it carries) and options, and
 *     build its job graph too, so that it can be brought back without depending on files.
 * <li>Stop the job with a savepoint; submit the new job from it (non-restored state allowed: the
 *     CEP operators of removed and reshaped rules have no place in the new job) and wait until all
 *     its tasks run.
 * <li>If the new job does not run, cancel it and resubmit the old job graph from the same savepoint.
 * </ol>
 */
public final class RulesApply {

    public static final int APPLIED = 0;
    /** Not applied and the old job still runs: the cluster refused something. */
    public static final int NOT_APPLIED = 1;
    /** Rules (or options) refused before anything was touched. */
    public static final int INVALID = 2;
    /** Not applied, and the old job could not be brought back either: act by hand. */
    public static final int OLD_JOB_DOWN = 3;

    /**
     * @param jobName the running job's name
     * @param savepointDir where the savepoint goes; null: the cluster's {@code execution.checkpointing.savepoint-dir}
     * @param jar the job jar to ship with the new job; null when the cluster has the classes (in-JVM)
     * @param flinkSettings Flink settings for the new job only (like {@code flink run -D})
     * @param jobOptions job options to change for the new job (e.g. {@code idleness}), on top of the running job's
     */
    public record Request(Path rules, String jobName, String savepointDir, Path jar, Map<String, String> flinkSettings,
            Map<String, String> jobOptions, boolean dryRun) {}

    private final AlertJobCluster cluster;
    private final PrintWriter out;
    private final PrintWriter err;

    public RulesApply(AlertJobCluster cluster, PrintWriter out, PrintWriter err) {
        this.cluster = cluster;
        this.out = out;
        this.err = err;
    }

    public int apply(Request request) {
        try {
            return run(request);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(Request request) {
        RulesSnapshot next;
        List<Rule> nextRules;
        try {
            next = RulesSnapshot.read(request.rules());
            nextRules = next.rules();
        } catch (RuleException e) {
            e.problems().forEach(err::println);
            err.println("rules apply: refused; the running job is untouched");
            return INVALID;
        }
        RunningJob running;
        try {
            running = cluster.find(request.jobName());
        } catch (ClusterException e) {
            err.println("rules apply: " + e.getMessage());
            return NOT_APPLIED;
        }
        if (running.snapshot() == null) {
            err.println("rules apply: job " + running.id() + " does not carry the rules it runs (started by an older Graylight?),"
                    + " so it could not be brought back if the new one failed; resubmit it once with scripts/submit --upgrade");
            return NOT_APPLIED;
        }
        List<Rule> oldRules;
        try {
            oldRules = running.snapshot().rules();
        } catch (RuleException e) {
            err.println("rules apply: the running job's own rules no longer pass this version's checks, so it could not be"
                    + " brought back if the new one failed:");
            e.problems().forEach(err::println);
            return NOT_APPLIED;
        }
        Map<String, String> nextOptions = new HashMap<>(running.parameters());
        nextOptions.put("rules", request.rules().toAbsolutePath().toString());
        nextOptions.putAll(request.jobOptions());

        RuleChanges changes = RuleChanges.between(oldRules, nextRules);
        out.printf("job %s (%s), %d rules -> %d rules:%n", running.id(), running.name(), oldRules.size(), nextRules.size());
        changes.describe().forEach(out::println);
        if (changes.none() && request.jobOptions().isEmpty() && request.flinkSettings().isEmpty()) {
            out.println("nothing to apply: the job runs these rules already");
            return APPLIED;
        }

        JobGraph nextJob;
        JobGraph oldJob;
        try {
            // Both graphs before anything stops: a pattern Flink CEP refuses, or a bad option, ends it here.
            nextJob = cluster.jobGraph(next, nextOptions, running.parallelism(), request.flinkSettings(), request.jar());
            oldJob = cluster.jobGraph(running.snapshot(), running.parameters(), running.parallelism(), Map.of(), request.jar());
        } catch (RuleException e) {
            e.problems().forEach(err::println);
            err.println("rules apply: refused; the running job is untouched");
            return INVALID;
        } catch (ClusterException e) {
            err.println("rules apply: " + e.getMessage() + "; the running job is untouched");
            return NOT_APPLIED;
        } catch (RuntimeException e) {
            err.println("rules apply: cannot build the new job (" + e.getMessage() + "); the running job is untouched");
            return INVALID;
        }
        if (request.dryRun()) {
            out.println("dry run: the new job builds; nothing stopped or submitted");
            return APPLIED;
        }

        out.printf("stopping %s with a savepoint...%n", running.id());
        out.flush();
        String savepoint;
        try {
            savepoint = cluster.stopWithSavepoint(running.id(), request.savepointDir());
        } catch (ClusterException e) {
            // A failed stop-with-savepoint leaves the job running (Flink resumes it).
            err.println("rules apply: " + e.getMessage() + "; nothing applied, job " + running.id() + " keeps running");
            return NOT_APPLIED;
        }
        out.println("savepoint: " + savepoint);

        String failure;
        JobID nextId = null;
        try {
            nextJob.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));
            nextId = cluster.submit(nextJob);
            out.printf("submitted %s from the savepoint; waiting for its tasks...%n", nextId);
            out.flush();
            failure = cluster.awaitRunning(nextId);
        } catch (ClusterException e) {
            failure = e.getMessage();
        }
        if (failure == null) {
            out.println("applied: new job " + nextId);
            return APPLIED;
        }

        err.println("rules apply: the new job did not start: " + failure);
        if (nextId != null) {
            try {
                cluster.cancel(nextId);
            } catch (ClusterException e) {
                err.println("rules apply: could not cancel the new job " + nextId + ": " + e.getMessage());
            }
        }
        err.println("rules apply: bringing the old rules back from " + savepoint + "...");
        try {
            oldJob.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));
            JobID back = cluster.submit(oldJob);
            String again = cluster.awaitRunning(back);
            if (again == null) {
                err.println("rules apply: not applied; the old rules run again as job " + back + " (from " + savepoint + ")");
                out.println("restored: old job " + back);
                return NOT_APPLIED;
            }
            err.println("rules apply: the old job did not start either: " + again);
        } catch (ClusterException e) {
            err.println("rules apply: the old job could not be resubmitted: " + e.getMessage());
        }
        err.println("rules apply: NO alert job runs now. Its state is in " + savepoint + "; resubmit it with"
                + " flink run -d -s " + savepoint + " -c io.graylight.cep.job.AlertJob graylight-jobs-job.jar <its options>");
        return OLD_JOB_DOWN;
    }
}
