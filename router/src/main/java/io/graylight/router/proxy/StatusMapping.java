package io.graylight.router.proxy;

import io.graylight.contracts.telemetry.RequestStatus;

/** The telemetry status of an upstream HTTP status. */
public final class StatusMapping {

    private StatusMapping() {}

    public static RequestStatus of(int httpStatus) {
        if (httpStatus == 429) {
            return RequestStatus.RATE_LIMITED;
        }
        if (httpStatus == 408 || httpStatus == 504) {
            return RequestStatus.TIMEOUT;
        }
        return httpStatus < 400 ? RequestStatus.OK : RequestStatus.ERROR;
    }
}
