package io.graylight.report;

/** A report that cannot be made for a reason the user can fix: a bad file line, an unreachable index. */
public final class ReportException extends Exception {

    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
