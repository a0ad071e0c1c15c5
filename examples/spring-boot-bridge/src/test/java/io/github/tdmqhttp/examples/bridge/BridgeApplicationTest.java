package io.github.tdmqhttp.examples.bridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example end to end, as a newcomer runs it: no credentials, so it starts on the embedded emulator; a file dropped
 * in the inbox and a body posted to /messages both come out of the topic into the outbox.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = "bridge.ticker.enabled=false")
class BridgeApplicationTest {

    static final Path DATA = temporaryFolder();

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        registry.add("bridge.inbox", () -> DATA.resolve("inbox").toString());
        registry.add("bridge.outbox", () -> DATA.resolve("outbox").toString());
    }

    @LocalServerPort
    int port;

    @Test
    void aDroppedFileAndAPostedBodyBothArriveInTheOutbox(CapturedOutput output) throws Exception {
        Files.createDirectories(DATA.resolve("inbox"));
        Path dropped = DATA.resolve("inbox.tmp");
        Files.writeString(dropped, "order 42 from a file");
        Files.move(dropped, DATA.resolve("inbox").resolve("order-42.txt"));

        HttpResponse<String> posted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                        .POST(HttpRequest.BodyPublishers.ofString("order 43 over HTTP")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(200);
        // The canonical form of the id: a message sent alone is alone in its storage entry.
        assertThat(posted.body()).matches("\\{\"messageId\":\"\\d+:\\d+:\\d+\"}\\s*");
        await().atMost(30, TimeUnit.SECONDS).until(() -> outbox().containsAll(
                List.of("order 42 from a file", "order 43 over HTTP")));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> Files.exists(DATA.resolve("inbox").resolve(".done").resolve("order-42.txt")));
        assertThat(output.getOut()).contains("started the embedded TDMQ emulator at http://127.0.0.1:")
                .contains("Received message");
    }

    @Test
    void aBodyPostedAsCurlPostsItArrivesAsTyped(CapturedOutput output) throws Exception {
        // curl --data-binary without -H labels the body as a form; the bridge takes it as the text it is.
        for (String body : List.of("hello from curl", "a=b&c=d")) {
            HttpResponse<String> posted = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(body).isEqualTo(200);
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> outbox().containsAll(List.of("hello from curl", "a=b&c=d")));
        assertThat(output.getOut()).doesNotContain("Invalid parameter, expected to be a pair");
    }

    @Test
    void aPostTheTopicCannotTakeIsAnsweredWithTheReason() throws Exception {
        HttpResponse<String> posted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1024 * 1024 + 1))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(400);
        assertThat(posted.body()).contains("over TDMQ's limit");
    }

    private static List<String> outbox() throws IOException {
        Path outbox = DATA.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }).toList();
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("tdmq-bridge-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
