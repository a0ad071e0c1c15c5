/**
 * Internal: what the consumer keeps apart from its poll loop (the room for unacknowledged messages, the background
 * settlement of acknowledgements and dead letters, a batch made one exchange, the log of failing calls). Not part of
 * the component's API: the classes are public only for the root package and may change in any release.
 */
package io.github.tdmqhttp.camel.consumer;
