package io.github.tdmqhttp.camel.doctor;

import java.util.Objects;

/**
 * One line of a doctor's report: which check, how it went, what it found, and for a failure or a warning what to do.
 *
 * @param name   the check's name, stable for scripts: {@code endpoint}, {@code keys}, {@code action SendMessages},
 *               {@code topic}, {@code producer}, {@code subscription}, {@code measured}, {@code ack timeout},
 *               {@code left behind}
 * @param status how it went
 * @param found  what the doctor found, one sentence; never a secret
 * @param fix    what to do, or null when there is nothing to do
 */
public record DoctorCheck(String name, Status status, String found, String fix) {

    /** How a check went. */
    public enum Status {
        /** The check passed. */
        OK,
        /** Works, but something deserves a look; does not fail the run. */
        WARN,
        /** The check failed: the component will fail the same way. */
        FAIL,
        /** Not run: it needs something not given, or an earlier check failed. */
        SKIP
    }

    /** Checks that the parts are there. */
    public DoctorCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(found, "found");
    }

    static DoctorCheck ok(String name, String found) {
        return new DoctorCheck(name, Status.OK, found, null);
    }

    static DoctorCheck fail(String name, String found, String fix) {
        return new DoctorCheck(name, Status.FAIL, found, fix);
    }

    static DoctorCheck warn(String name, String found, String fix) {
        return new DoctorCheck(name, Status.WARN, found, fix);
    }

    static DoctorCheck skip(String name, String why) {
        return new DoctorCheck(name, Status.SKIP, why, null);
    }

    /** The line the user sees: {@code FAIL keys: what was found. Fix: what to do}. */
    public String line() {
        return String.format("%-4s %s: %s", status, name, found) + (fix != null ? " Fix: " + fix : "");
    }

    @Override
    public String toString() {
        return line();
    }
}
