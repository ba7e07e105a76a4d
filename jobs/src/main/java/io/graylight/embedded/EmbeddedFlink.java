package io.graylight.embedded;

import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One Flink MiniCluster in this JVM that runs several jobs side by side, as a session cluster
 * would, with the web UI on a loopback port. Jobs are built on {@link #environment()} and started
 * with {@link #submit}.
 */
public final class EmbeddedFlink implements AutoCloseable {

    private final MiniCluster cluster;

    private EmbeddedFlink(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** @param slots task slots of the single task manager; each job needs its parallelism in slots */
    public static EmbeddedFlink start(int slots) throws Exception {
        return start(slots, MemorySize.parse("64m"));
    }

    /**
     * @param slots task slots of the single task manager
     * @param networkMemory network buffers of the task manager: every exchange of every task takes some
     *     at deployment (a task that gets none fails), so a job with hundreds of exchanges needs more
     */
    public static EmbeddedFlink start(int slots, MemorySize networkMemory) throws Exception {
        Configuration config = new Configuration();
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("128m"));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, networkMemory);
        config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, networkMemory);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new EmbeddedFlink(cluster);
    }

    /** An environment for building one job: exactly-once checkpoints every {@code checkpointInterval}. */
    public static StreamExecutionEnvironment environment(int parallelism, Duration checkpointInterval) {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        config.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(config);
        env.setParallelism(parallelism);
        return env;
    }

    public JobID submit(StreamExecutionEnvironment env, String jobName) throws Exception {
        org.apache.flink.streaming.api.graph.StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        return cluster.submitJob(graph.getJobGraph()).get().getJobID();
    }

    public URI webUi() throws Exception {
        return cluster.getRestAddress().get();
    }

    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
