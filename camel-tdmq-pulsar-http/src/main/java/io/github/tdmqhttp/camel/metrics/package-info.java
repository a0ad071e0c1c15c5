/**
 * Internal: the figures of a consumer or producer (counts, call latencies, the limiters' rates), with no reference to
 * the endpoint or component they are of, and their publication as Micrometer meters. Not part of the component's
 * API: the classes are public only for the root package and may change in any release.
 */
package io.github.tdmqhttp.camel.metrics;
