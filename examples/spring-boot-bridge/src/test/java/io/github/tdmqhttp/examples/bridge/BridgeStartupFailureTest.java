package io.github.tdmqhttp.examples.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a newcomer starts it, with a mistake in a property: Spring Boot explains the mistake, and then the JVM
 * must end, with a non-zero status, instead of being held open by the embedded emulator's threads.
 */
class BridgeStartupFailureTest {

    @Test
    void aBadPropertyEndsTheJvmWithAnError(@TempDir Path folder) throws Exception {
        Path output = folder.resolve("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                BridgeApplication.class.getName(),
                "--server.port=0",
                "--bridge.inbox=" + folder.resolve("inbox"), "--bridge.outbox=" + folder.resolve("outbox"),
                "--camel.component.tdmq-http.sub-initial-position=Nowhere"))
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = demo.waitFor(90, TimeUnit.SECONDS);
            String printed = Files.readString(output);
            assertThat(ended).as("the JVM ended; it printed:%n%s", printed).isTrue();
            assertThat(demo.exitValue()).as(printed).isNotZero();
            assertThat(printed).contains("started the embedded TDMQ emulator")
                    .contains("APPLICATION FAILED TO START").contains("sub-initial-position");
        } finally {
            demo.destroyForcibly();
        }
    }

}
