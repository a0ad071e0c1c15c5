package io.github.tdmqhttp.emulator;

import java.util.concurrent.atomic.AtomicInteger;

/** Topic names of their own for each test, since emulators shared by a test class keep their topics. */
final class Topics {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private Topics() {
    }

    static String unique(String name) {
        return "pulsar-test/default/" + name + "-" + NEXT.incrementAndGet();
    }
}
