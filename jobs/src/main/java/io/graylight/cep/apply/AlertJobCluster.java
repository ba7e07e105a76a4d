package io.graylight.cep.apply;

import io.graylight.cep.job.AlertJob;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RulesSnapshot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rest.messages.ClusterConfigurationInfoHeaders;
import org.apache.flink.runtime.rest.messages.ConfigurationInfoEntry;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobConfigHeaders;
import org.apache.flink.runtime.rest.messages.JobConfigInfo;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * The alert job on a running Flink cluster, through its REST API ({@link RestClusterClient}):
 * find it by name, read back what it was built from, build its job graph client-side (as
 * {@code flink run} would), stop it with a savepoint, submit from one, and wait until a submitted
 * job really runs.
 */
public final class AlertJobCluster implements AutoCloseable {

    /** What a running alert job was built from (its global job parameters). */
    public record RunningJob(JobID id, String name, int parallelism, Map<String, String> parameters, RulesSnapshot snapshot) {}

    /** A failure talking to the cluster or of a job on it; the message says what happened. */
    public static final class ClusterException extends Exception {
        public ClusterException(String message) {
            super(message);
        }

        public ClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // Cluster settings that shape the job graph and that `flink run` would take from config.yaml
    // (checkpoint interval and mode, pipeline settings). Everything else (state backend, checkpoint
    // storage, restart strategy) the JobManager applies itself from its own configuration.
    private static final List<String> GRAPH_SETTINGS = List.of("execution.", "pipeline.", "parallelism.default");

    private final RestClusterClient<StandaloneClusterId> client;
    private final Duration timeout;

    public AlertJobCluster(URI rest, Duration timeout) throws ClusterException {
        Configuration config = new Configuration();
        config.set(RestOptions.ADDRESS, rest.getHost());
        config.set(RestOptions.PORT, rest.getPort() > 0 ? rest.getPort() : 8081);
        config.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
        try {
            this.client = new RestClusterClient<>(config, StandaloneClusterId.getInstance());
        } catch (Exception e) {
            throw new ClusterException("cannot create a REST client for " + rest + ": " + e.getMessage(), e);
        }
        this.timeout = timeout;
    }

    /** The one job with this name that is not finished, failed or cancelled. */
    public RunningJob find(String name) throws ClusterException {
        List<JobStatusMessage> jobs = await(client.listJobs(), "list the jobs").stream()
                .filter(j -> j.getJobName().equals(name) && !j.getJobState().isGloballyTerminalState())
                .toList();
        if (jobs.isEmpty()) {
            throw new ClusterException("no running job named '" + name + "' on " + client.getWebInterfaceURL()
                    + " (start it with scripts/submit)");
        }
        if (jobs.size() > 1) {
            throw new ClusterException(jobs.size() + " jobs named '" + name + "' are running ("
                    + jobs.stream().map(j -> j.getJobId().toString()).toList() + "); cancel all but one");
        }
        JobStatusMessage job = jobs.get(0);
        if (job.getJobState() != JobStatus.RUNNING) {
            throw new ClusterException("job " + job.getJobId() + " (" + name + ") is " + job.getJobState()
                    + ", not RUNNING; apply rules to a running job only");
        }
        JobMessageParameters parameters = new JobMessageParameters();
        parameters.jobPathParameter.resolve(job.getJobId());
        JobConfigInfo info = await(client.sendRequest(JobConfigHeaders.getInstance(), parameters, EmptyRequestBody.getInstance()),
                "read the configuration of job " + job.getJobId());
        Map<String, String> global = info.getExecutionConfigInfo() == null ? Map.of()
                : info.getExecutionConfigInfo().getGlobalJobParameters();
        Map<String, String> options = new HashMap<>(global == null ? Map.of() : global);
        String snapshot = options.remove(RulesSnapshot.PARAMETER);
        return new RunningJob(job.getJobId(), name, info.getExecutionConfigInfo() == null ? 1 : info.getExecutionConfigInfo().getParallelism(),
                options, snapshot == null ? null : RulesSnapshot.fromJson(snapshot));
    }

    /**
     * The alert job's graph, built here as {@code flink run} would build it on the cluster's settings.
     *
     * @param flinkSettings Flink settings for this job only (like {@code flink run -D}); may be empty
     * @param jar the job jar to ship with it; null when the cluster has the job classes already (in-JVM clusters)
     */
    public JobGraph jobGraph(RulesSnapshot snapshot, Map<String, String> parameters, int parallelism,
            Map<String, String> flinkSettings, Path jar) throws RuleException, ClusterException {
        Configuration config = new Configuration();
        for (ConfigurationInfoEntry e : await(client.sendRequest(ClusterConfigurationInfoHeaders.getInstance(),
                EmptyMessageParameters.getInstance(), EmptyRequestBody.getInstance()), "read the cluster configuration")) {
            if (GRAPH_SETTINGS.stream().anyMatch(e.getKey()::startsWith)) {
                config.setString(e.getKey(), e.getValue());
            }
        }
        config.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        flinkSettings.forEach(config::setString);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(config);
        AlertJob.prepare(env, parameters, snapshot);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(AlertJob.NAME);
        JobGraph job = graph.getJobGraph(Thread.currentThread().getContextClassLoader(), null);
        if (jar != null) {
            job.addJar(new org.apache.flink.core.fs.Path(jar.toUri()));
        }
        return job;
    }

    /** Stops the job with a savepoint (sources stop, no end-of-time watermark, so partial matches stay open). */
    public String stopWithSavepoint(JobID job, String savepointDir) throws ClusterException {
        return await(client.stopWithSavepoint(job, false, savepointDir, SavepointFormatType.CANONICAL),
                "stop job " + job + " with a savepoint");
    }

    public JobID submit(JobGraph job) throws ClusterException {
        return await(client.submitJob(job), "submit the job");
    }

    /**
     * Waits until every task of the job runs (its state restored), or it fails. Returns null when it
     * runs, else why not. A job that fails and restarts counts as failed.
     */
    public String awaitRunning(JobID job) throws ClusterException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobDetailsInfo details = await(client.getJobDetails(job), "read the state of job " + job);
            JobStatus status = details.getJobStatus();
            if (status.isGloballyTerminalState()) {
                return status + ": " + failureCause(job);
            }
            if (status == JobStatus.RESTARTING || status == JobStatus.FAILING) {
                return status + " (a task failed; the job's exceptions are in the web UI)";
            }
            if (status == JobStatus.RUNNING && details.getJobVertexInfos().stream().allMatch(v ->
                    v.getExecutionState() == ExecutionState.RUNNING || v.getExecutionState() == ExecutionState.FINISHED)) {
                return null;
            }
            pause();
        }
        return "not running after " + timeout.toSeconds() + " s";
    }

    /** Cancels the job if it still runs; waits until it is over. */
    public void cancel(JobID job) throws ClusterException {
        JobStatus status = await(client.getJobStatus(job), "read the state of job " + job);
        if (!status.isGloballyTerminalState()) {
            await(client.cancel(job), "cancel job " + job);
        }
        await(client.requestJobResult(job), "wait for job " + job + " to end");
    }

    public JobStatus status(JobID job) throws ClusterException {
        return await(client.getJobStatus(job), "read the state of job " + job);
    }

    private String failureCause(JobID job) throws ClusterException {
        JobResult result = await(client.requestJobResult(job), "read the result of job " + job);
        return result.getSerializedThrowable()
                .map(t -> {
                    Throwable root = ExceptionUtils.stripCompletionException(t);
                    StringBuilder why = new StringBuilder();
                    for (Throwable c = root; c != null && why.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
                        if (c.getMessage() != null && why.indexOf(c.getMessage()) < 0) {
                            why.append(why.length() == 0 ? "" : ": ").append(c.getMessage());
                        }
                    }
                    return why.length() == 0 ? root.toString() : why.toString();
                })
                .orElse("no failure cause reported");
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) throws ClusterException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting to " + what, e);
        } catch (TimeoutException e) {
            throw new ClusterException("cannot " + what + ": no answer from " + client.getWebInterfaceURL() + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = ExceptionUtils.stripExecutionException(e);
            Throwable root = ExceptionUtils.findThrowable(cause, java.net.ConnectException.class).map(c -> (Throwable) c).orElse(cause);
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            throw new ClusterException("cannot " + what + " (" + client.getWebInterfaceURL() + "): " + firstLines(message), cause);
        }
    }

    // The server's message without its stack trace and exception class: what went wrong, for people.
    private static String firstLines(String message) {
        String text = message.strip();
        if (text.startsWith("[")) {
            text = text.substring(1);
        }
        int trace = text.indexOf("\tat ");
        if (trace > 0) {
            text = text.substring(0, trace);
        }
        text = text.replaceAll("^([\\w.$]+(Exception|Error): )+", "").replace('\n', ' ').strip();
        return text.endsWith("]") ? text.substring(0, text.length() - 1) : text;
    }

    private static void pause() throws ClusterException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
