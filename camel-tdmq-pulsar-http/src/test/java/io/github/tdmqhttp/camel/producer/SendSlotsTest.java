package io.github.tdmqhttp.camel.producer;


import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendSlotsTest {

    @Test
    void theLimitIsWhatTheProducerNeedsNowButNeverAboveTheMaximumNorBelowOne() {
        AtomicInteger needed = new AtomicInteger(10);
        SendSlots slots = new SendSlots(8, needed::get);

        assertThat(slots.limit()).isEqualTo(8);
        needed.set(3);
        assertThat(slots.limit()).isEqualTo(3);
        needed.set(0);
        assertThat(slots.limit()).isEqualTo(1);
    }

    @Test
    void anAcquireWaitsForARelease() throws Exception {
        SendSlots slots = new SendSlots(8, () -> 2);
        slots.acquire();
        slots.acquire();

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        slots.release();
        third.get(5, TimeUnit.SECONDS);
        assertThat(slots.inFlight()).isEqualTo(2);
    }

    @Test
    void aLimitThatGrewLetsEveryWaiterItAllowsGoAtTheNextRelease() throws Exception {
        AtomicInteger needed = new AtomicInteger(1);
        SendSlots slots = new SendSlots(8, needed::get);
        slots.acquire();
        CompletableFuture<?>[] waiters = new CompletableFuture<?>[2];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = CompletableFuture.runAsync(() -> {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThatThrownBy(() -> CompletableFuture.allOf(waiters).get(200, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);

        needed.set(3);
        slots.release();
        CompletableFuture.allOf(waiters).get(5, TimeUnit.SECONDS);
        assertThat(slots.inFlight()).isEqualTo(2);
    }
}
