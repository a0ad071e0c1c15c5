package io.github.tdmqhttp.camel;

/**
 * Where a subscription starts when TDMQ sees it for the first time. Once the subscription exists, its position is kept
 * and this setting no longer matters.
 */
public enum SubInitialPosition {
    /** Start at the oldest message the topic retains: nothing sent before the first poll is missed. */
    Earliest,
    /** Start after the newest message: only messages sent after the subscription is created are received. */
    Latest
}
