package io.graylight.router.config;

/** A configuration file the router refuses, with {@code file:line:column: reason} as its message. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
