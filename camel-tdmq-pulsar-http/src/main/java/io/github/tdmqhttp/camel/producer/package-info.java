/**
 * Internal: what the producer keeps apart from its send of one exchange (the slots of a collection's concurrent sends,
 * the memory of a collection sent in part). Not part of the component's API: the classes are public only for the root
 * package and may change in any release.
 */
package io.github.tdmqhttp.camel.producer;
