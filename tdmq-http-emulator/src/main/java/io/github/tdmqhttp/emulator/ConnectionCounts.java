package io.github.tdmqhttp.emulator;

/**
 * How many connections the emulator has accepted since it was built: each HTTPS one cost its client a TLS handshake,
 * so {@code https} shows how well a client reuses its connections.
 *
 * @param http  connections accepted on the HTTP port
 * @param https connections accepted on the HTTPS port
 */
public record ConnectionCounts(long http, long https) {
}
