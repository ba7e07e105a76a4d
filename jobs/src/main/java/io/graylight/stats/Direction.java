package io.graylight.stats;

/** Which way a metric gets worse. */
public enum Direction {
    HIGHER_IS_WORSE,
    LOWER_IS_WORSE
}
