package io.graylight.router.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import io.graylight.router.config.RouterConfig;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The sticky user id of a request, from the configured sources in order (see
 * {@link RouterConfig.UserId}). A JWT's signature is not checked: the id only chooses a cohort,
 * it grants nothing. API keys are hashed so that no key reaches telemetry.
 */
public final class UserIdentity {

    private final String header;
    private final List<String> sources;

    public UserIdentity(RouterConfig.UserId config) {
        this.header = config.header();
        this.sources = config.sources();
    }

    /** The user id, or null when no source yields one. */
    public String userId(MultiMap headers) {
        String bearer = bearer(headers.get("Authorization"));
        for (String source : sources) {
            String id = switch (source) {
                case "header" -> blankToNull(headers.get(header));
                case "jwt-sub" -> bearer != null && isJwt(bearer) ? jwtSubject(bearer) : null;
                case "api-key" -> bearer != null && !isJwt(bearer) ? "key-" + sha256Prefix(bearer) : null;
                default -> null;
            };
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return blankToNull(authorization.substring(7).strip());
    }

    private static boolean isJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first && token.chars().filter(c -> c == '.').count() == 2;
    }

    static String jwtSubject(String token) {
        String[] parts = token.split("\\.");
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode sub = claims.get("sub");
            return sub != null && sub.isTextual() ? blankToNull(sub.asText()) : null;
        } catch (Exception e) {
            return null; // not a JWT after all: no id from it
        }
    }

    private static String sha256Prefix(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
