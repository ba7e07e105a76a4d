package io.graylight.bench;

import picocli.CommandLine.Command;

/** {@code graylight bench ...}: benchmarks that print their figures; scripts/bench-* call them. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (print figures; run on an otherwise idle machine).",
        subcommands = {MetricsBenchmark.class, DecisionBenchmark.class, RouterBenchmark.class, MlBenchmark.class, CepBenchmark.class})
public final class BenchCommand {}
