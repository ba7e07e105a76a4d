package io.graylight.simulator;

import java.time.Clock;

/**
 * Holds each record back until the wall clock reaches its event time, for a live feed. The
 * simulation must then start at the current time; records whose time has passed (duplicates,
 * or when the sink falls behind) go out at once, and the pacer never waits for the past.
 */
public final class RealtimePacer {

    /** Waits for a number of milliseconds; a seam so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;

    public RealtimePacer(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static RealtimePacer systemClock() {
        return new RealtimePacer(Clock.systemUTC(), Thread::sleep);
    }

    /** Returns once the clock has reached {@code eventTimeMillis}. */
    public void awaitEventTime(long eventTimeMillis) throws InterruptedException {
        long wait = eventTimeMillis - clock.millis();
        while (wait > 0) {
            sleeper.sleep(wait);
            wait = eventTimeMillis - clock.millis();
        }
    }
}
