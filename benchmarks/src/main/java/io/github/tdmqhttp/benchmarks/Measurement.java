package io.github.tdmqhttp.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load for a warm-up, then for a number of rounds, and reports its rate over all the rounds together
 * (messages ÷ seconds: what it sustains), with the lowest and highest round as the spread. The machine is shared, so
 * only rates measured in the same run are compared.
 * <p>
 * Not the median of the rounds: a load that pauses once a second (one route thread waiting for the last calls of a
 * list) fits three or four pauses into a round of four seconds, and the median then followed whichever count was more
 * frequent: 900 msg/s for a load that made 908.
 */
record Measurement(String name, List<Double> rounds, long messages, double seconds, long errors) {

    static Measurement of(String name, Load load, Settings settings) throws Exception {
        try (load) {
            load.start();
            TimeUnit.MILLISECONDS.sleep(settings.warmupMillis());
            List<Double> rounds = new ArrayList<>();
            long errorsBefore = load.errors();
            long messages = 0;
            double seconds = 0;
            for (int round = 0; round < settings.rounds(); round++) {
                long doneBefore = load.done();
                long start = System.nanoTime();
                TimeUnit.MILLISECONDS.sleep(settings.roundMillis());
                long done = load.done() - doneBefore;
                double took = (System.nanoTime() - start) / 1e9;
                rounds.add(done / took);
                messages += done;
                seconds += took;
            }
            return new Measurement(name, rounds, messages, seconds, load.errors() - errorsBefore);
        }
    }

    /** Messages a second over all the rounds. */
    double rate() {
        return seconds > 0 ? messages / seconds : 0;
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
