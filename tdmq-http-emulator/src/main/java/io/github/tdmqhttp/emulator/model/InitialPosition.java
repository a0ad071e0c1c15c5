package io.github.tdmqhttp.emulator.model;

/** Where a new subscription starts reading; fixed when the subscription is first seen. */
public enum InitialPosition {
    /** At the first message the topic holds. */
    EARLIEST,
    /** After the last message the topic holds: only messages sent from now on. */
    LATEST
}
