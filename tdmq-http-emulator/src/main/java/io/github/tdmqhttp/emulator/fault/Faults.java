package io.github.tdmqhttp.emulator.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults in force: {@link FaultRule}s, tried in the order they were added (the first that fires wins), and the
 * latency added to every answer. Thread-safe; changes apply to the next request.
 */
public final class Faults {

    /**
     * A rule and how often it has fired.
     *
     * @param rule     the rule as added
     * @param injected how many answers it has replaced so far
     */
    public record RuleState(FaultRule rule, long injected) {
    }

    private static final class ActiveRule {
        private final FaultRule rule;
        private final AtomicLong injected = new AtomicLong();

        ActiveRule(FaultRule rule) {
            this.rule = rule;
        }

        /** Counts an injection, unless the rule has used up its times. */
        boolean tryInject() {
            if (rule.times() == FaultRule.UNLIMITED) {
                injected.incrementAndGet();
                return true;
            }
            long used;
            do {
                used = injected.get();
                if (used >= rule.times()) {
                    return false;
                }
            } while (!injected.compareAndSet(used, used + 1));
            return true;
        }
    }

    private final CopyOnWriteArrayList<ActiveRule> rules = new CopyOnWriteArrayList<>();
    private final Latency baselineLatency;
    private volatile Latency latency;

    /** @param baselineLatency the latency the emulator was built with; {@link #clear()} comes back to it */
    public Faults(Latency baselineLatency) {
        this.baselineLatency = baselineLatency;
        this.latency = baselineLatency;
    }

    /** Adds a rule after the existing ones. */
    public Faults add(FaultRule rule) {
        rules.add(new ActiveRule(java.util.Objects.requireNonNull(rule, "rule")));
        return this;
    }

    /** Adds {@code fixed} plus a random part up to {@code jitter} to every API answer from now on. */
    public Faults latency(Duration fixed, Duration jitter) {
        this.latency = new Latency(fixed, jitter);
        return this;
    }

    /** The latency added to every API answer. */
    public Latency latency() {
        return latency;
    }

    /**
     * Removes every rule and restores the latency the emulator was built with (none, unless the builder set one).
     */
    public Faults clear() {
        rules.clear();
        latency = baselineLatency;
        return this;
    }

    /** The rules in force, in the order they are tried. */
    public List<FaultRule> rules() {
        List<FaultRule> list = new ArrayList<>(rules.size());
        rules.forEach(active -> list.add(active.rule));
        return List.copyOf(list);
    }

    /** The rules in force with how often each has fired. */
    public List<RuleState> ruleStates() {
        List<RuleState> list = new ArrayList<>(rules.size());
        rules.forEach(active -> list.add(new RuleState(active.rule, active.injected.get())));
        return List.copyOf(list);
    }

    /**
     * Decides whether a request of {@code action} gets a fault, and counts it when it does.
     *
     * @return the rule that fired, or null
     */
    public FaultRule pick(String action) {
        for (ActiveRule active : rules) {
            FaultRule rule = active.rule;
            if (!rule.appliesTo(action)) {
                continue;
            }
            if (rule.rate() < 1 && ThreadLocalRandom.current().nextDouble() >= rule.rate()) {
                continue;
            }
            if (active.tryInject()) {
                return rule;
            }
        }
        return null;
    }
}
