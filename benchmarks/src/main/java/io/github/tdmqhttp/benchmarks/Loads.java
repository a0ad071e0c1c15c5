package io.github.tdmqhttp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import io.github.tdmqhttp.camel.TdmqHttpConsumer;
import io.github.tdmqhttp.camel.TdmqHttpPartialSendException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * The loads the benchmark compares: the loops of the official SDK demo (send one; receive one, acknowledge it), and
 * the component's producer and consumer doing the same work. Every loop is bounded in count and in time. What a load
 * has done is counted at the server: messages stored, or acknowledged, so that a long collection body counts as it goes.
 */
final class Loads {

    static final String PAYLOAD = "{\"order\":42,\"item\":\"benchmark\",\"quantity\":1}";
    /** The same body in the CloudEvent a producer with messageFormat=CLOUDEVENTS sends, with one header. */
    static final String ENVELOPE = "{\"specversion\":\"1.0\",\"id\":\"0b7c2f3e-5d1a-4c8e-9f61-2a4d8e6b1c90\","
                                   + "\"source\":\"camel:bench\",\"type\":\"io.github.tdmqhttp.message\","
                                   + "\"datacontenttype\":\"application/json\",\"time\":\"2026-12-05T12:00:00Z\","
                                   + "\"tenant\":\"acme\",\"data\":" + PAYLOAD + "}";
    /** No loop runs longer than this, whatever happens. */
    private static final long MAX_RUN_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long MAX_ITERATIONS = 50_000_000;

    private Loads() {
    }

    /** Threads that loop until stopped, counting what they did; the base of every driver below. */
    private abstract static class Loop implements Load {

        private final int threads;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> workers = new ArrayList<>();
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Loop(int threads) {
            this.threads = threads;
        }

        /** One step of the loop: one call, or one exchange. */
        abstract void step() throws Exception;

        @Override
        public void start() throws Exception {
            running.set(true);
            long deadline = System.nanoTime() + MAX_RUN_NANOS;
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(() -> {
                    for (long n = 0; running.get() && n < MAX_ITERATIONS && System.nanoTime() < deadline; n++) {
                        try {
                            step();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, getClass().getSimpleName() + "-" + i);
                workers.add(worker);
                worker.start();
            }
        }

        @Override
        public long done() {
            return done.get();
        }

        @Override
        public long errors() {
            return errors.get();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
    }

    /** The official demo's send loop: one SendMessages call after the other. */
    static Load rawSendLoop(Emulated emulated, int threads) {
        TdmqClient client = emulated.sdkClient();
        String topic = emulated.newTopic();
        return new Loop(threads) {
            @Override
            void step() throws TencentCloudSDKException {
                rawSend(client, topic);
            }

            @Override
            public long done() {
                return emulated.sent(topic);
            }
        };
    }

    /** The official demo's consume loop: receive one message, acknowledge it, again. */
    static Load rawReceiveAckLoop(Emulated emulated, int backlog) {
        TdmqClient client = emulated.sdkClient();
        String topic = emulated.newTopic();
        emulated.publish(topic, backlog);
        return new Loop(1) {
            @Override
            void step() throws TencentCloudSDKException {
                rawReceiveAndAck(client, topic);
                done.incrementAndGet();
            }
        };
    }

    /** One step of the official demo's send loop: one SendMessages call. */
    static void rawSend(TdmqClient client, String topic) throws TencentCloudSDKException {
        SendMessagesRequest request = new SendMessagesRequest();
        request.setTopic(topic);
        request.setPayload(PAYLOAD);
        client.SendMessages(request);
    }

    /** One step of the official demo's consume loop: receive one message, acknowledge it. */
    static void rawReceiveAndAck(TdmqClient client, String topic) throws TencentCloudSDKException {
        ReceiveMessageRequest receive = new ReceiveMessageRequest();
        receive.setTopic(topic);
        receive.setSubscriptionName("raw");
        receive.setSubInitialPosition("Earliest");
        ReceiveMessageResponse message = client.ReceiveMessage(receive);
        AcknowledgeMessageRequest ack = new AcknowledgeMessageRequest();
        ack.setMessageId(message.getMessageID());
        ack.setAckTopic(message.getAckTopic());
        ack.setSubName(message.getSubName());
        client.AcknowledgeMessage(ack);
    }

    /** The component's producer with one message per exchange, from {@code threads} route threads. */
    static Load producer(Emulated emulated, int threads, String options) throws Exception {
        return producer(emulated, threads, options, false);
    }

    /**
     * The component's producer with one message per exchange; with {@code meters}, its figures are published to a
     * Micrometer registry, as in an application with the actuator.
     */
    static Load producer(Emulated emulated, int threads, String options, boolean meters) throws Exception {
        String topic = emulated.newTopic();
        CamelContext camel = producerContext(emulated, topic, options);
        if (meters) {
            camel.getRegistry().bind("meters", new SimpleMeterRegistry());
        }
        ProducerTemplate template = camel.createProducerTemplate();
        return new CamelLoop(camel, threads) {
            @Override
            void step() {
                template.sendBody("direct:send", PAYLOAD);
            }

            @Override
            public long done() {
                return emulated.sent(topic);
            }
        };
    }

    /** The component's producer with collection bodies of {@code size} messages, from one route thread. */
    static Load producerList(Emulated emulated, int size, String options) throws Exception {
        return producerList(emulated, size, options, 1);
    }

    /** Route threads sending collection bodies of {@code size} elements, one after the other each. */
    static Load producerList(Emulated emulated, int size, String options, int threads) throws Exception {
        String topic = emulated.newTopic();
        CamelContext camel = producerContext(emulated, topic, options);
        ProducerTemplate template = camel.createProducerTemplate();
        List<String> body = Collections.nCopies(size, PAYLOAD);
        return new CamelLoop(camel, threads) {
            @Override
            void step() {
                try {
                    template.sendBody("direct:send", body);
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof TdmqHttpPartialSendException partial) {
                        errors.addAndGet(partial.getFailures().size());
                        return;
                    }
                    throw e;
                }
            }

            @Override
            public long done() {
                return emulated.sent(topic);
            }
        };
    }

    /**
     * The component's consumer draining a backlog; a message counts once the emulator has its acknowledgement.
     * Errors are exchanges that failed and acknowledgements that failed after their retries.
     */
    static Load consumer(Emulated emulated, String options, int backlog) throws Exception {
        return consumer(emulated, options, backlog, false);
    }

    /**
     * The component's consumer draining a backlog; with {@code meters}, its figures are published to a Micrometer
     * registry, as in an application with the actuator.
     */
    static Load consumer(Emulated emulated, String options, int backlog, boolean meters) throws Exception {
        return consumer(emulated, options, backlog, meters, Loads.PAYLOAD);
    }

    /** The same, draining a backlog of {@code payload}. */
    static Load consumer(Emulated emulated, String options, int backlog, boolean meters, String payload)
            throws Exception {
        String topic = emulated.newTopic();
        emulated.publish(topic, backlog, payload);
        CamelContext camel = emulated.camel();
        if (meters) {
            camel.getRegistry().bind("meters", new SimpleMeterRegistry());
        }
        AtomicLong failed = new AtomicLong();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).process(exchange -> failed.incrementAndGet());
                from("tdmq-http:" + topic + "?subscription=bench&initialDelay=0" + options).routeId("consume")
                        .setHeader("seen", constant(true));
            }
        });
        return new Load() {
            @Override
            public void start() {
                camel.start();
            }

            @Override
            public long done() {
                return emulated.acked(topic, "bench");
            }

            @Override
            public long errors() {
                TdmqHttpConsumer consumer = (TdmqHttpConsumer) camel.getRoute("consume").getConsumer();
                return failed.get() + (consumer == null ? 0 : consumer.getAckFailureCount());
            }

            @Override
            public void close() {
                camel.stop();
            }
        };
    }

    /** Consumers that drain a topic each and share one component, so one quota of every action. */
    interface SharedConsumers extends Load {

        /** The deliveries TDMQ (the emulator) made again after an ack timeout, over every topic. */
        long redelivered();
    }

    /**
     * {@code consumers} routes of one component, each draining a backlog of its own topic, whose ack timeout is
     * {@code ackTimeout} (on the emulator's topics and the consumers' option alike): the acknowledgements of all of
     * them spend one AcknowledgeMessage quota.
     */
    static SharedConsumers sharedQuotaConsumers(Emulated emulated, int consumers, int backlogEach,
                                                Duration ackTimeout) throws Exception {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            String topic = emulated.newTopic(ackTimeout);
            emulated.publish(topic, backlogEach);
            topics.add(topic);
        }
        CamelContext camel = emulated.camel();
        AtomicLong failed = new AtomicLong();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).process(exchange -> failed.incrementAndGet());
                for (int i = 0; i < topics.size(); i++) {
                    from("tdmq-http:" + topics.get(i) + "?subscription=bench&initialDelay=0&ackTimeout="
                         + ackTimeout.toMillis()).routeId("shared-" + i).setHeader("seen", constant(true));
                }
            }
        });
        return new SharedConsumers() {
            @Override
            public void start() {
                camel.start();
            }

            @Override
            public long done() {
                return topics.stream().mapToLong(topic -> emulated.acked(topic, "bench")).sum();
            }

            @Override
            public long errors() {
                long ackFailures = camel.getRoutes().stream().map(route -> (TdmqHttpConsumer) route.getConsumer())
                        .mapToLong(consumer -> consumer == null ? 0 : consumer.getAckFailureCount()).sum();
                return failed.get() + ackFailures;
            }

            @Override
            public long redelivered() {
                return topics.stream().mapToLong(topic -> emulated.emulator().broker()
                        .subscriptionStats(topic, "bench").redelivered()).sum();
            }

            @Override
            public void close() {
                camel.stop();
            }
        };
    }

    private static CamelContext producerContext(Emulated emulated, String topic, String options) throws Exception {
        CamelContext camel = emulated.camel();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("tdmq-http:" + topic + (options.isEmpty() ? "" : "?" + options));
            }
        });
        return camel;
    }

    /** A loop that drives a Camel context, started with the loop and stopped after it. */
    private abstract static class CamelLoop extends Loop {

        private final CamelContext camel;

        CamelLoop(CamelContext camel, int threads) {
            super(threads);
            this.camel = camel;
        }

        @Override
        public void start() throws Exception {
            camel.start();
            super.start();
        }

        @Override
        public void close() throws Exception {
            super.close();
            camel.stop();
        }
    }
}
