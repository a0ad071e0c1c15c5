/**
 * Internal: the calls to TDMQ's HTTP API and what surrounds them (the SDK client and its credentials, the gateway that
 * makes the four calls, the rate limiters shared by a quota's users, the retry policy, the payload codec and the
 * message codecs, raw or the CloudEvents envelope, the call pool). Not part of the component's API: the classes are
 * public only for the component's other packages and may change in any release.
 */
package io.github.tdmqhttp.camel.client;
