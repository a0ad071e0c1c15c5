package io.github.tdmqhttp.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load for a warm-up, then for a number of rounds, and reports the rate of each round: the median, and the
 * lowest and highest as the spread. The machine is shared, so only rates measured in the same run are compared.
 */
record Measurement(String name, List<Double> rounds, long errors) {

    static Measurement of(String name, Load load, Settings settings) throws Exception {
        try (load) {
            load.start();
            TimeUnit.MILLISECONDS.sleep(settings.warmupMillis());
            List<Double> rounds = new ArrayList<>();
            long errorsBefore = load.errors();
            for (int round = 0; round < settings.rounds(); round++) {
                long doneBefore = load.done();
                long start = System.nanoTime();
                TimeUnit.MILLISECONDS.sleep(settings.roundMillis());
                long done = load.done() - doneBefore;
                rounds.add(done / ((System.nanoTime() - start) / 1e9));
            }
            return new Measurement(name, rounds, load.errors() - errorsBefore);
        }
    }

    double median() {
        List<Double> sorted = rounds.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    double min() {
        return rounds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    double max() {
        return rounds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** How long a measurement takes, for planning. */
    record Settings(long warmupMillis, int rounds, long roundMillis) {
    }
}
