package io.graylight.router.routing;

import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's segment attributes ({@code region}, {@code tier}, ...): from the user-attributes
 * file, overridden by {@code <prefix><Name>} headers ({@code X-Graylight-Region: eu-west} gives
 * {@code region=eu-west}). The router's own headers (user, release) are not attributes.
 */
public final class UserAttributes {

    private final String prefix;
    private final Map<String, Map<String, String>> byUser;
    private final String userHeader;

    public UserAttributes(String headerPrefix, Map<String, Map<String, String>> byUser, String userHeader) {
        this.prefix = headerPrefix.toLowerCase(Locale.ROOT);
        this.byUser = Map.copyOf(byUser);
        this.userHeader = userHeader.toLowerCase(Locale.ROOT);
    }

    public Map<String, String> of(String userId, MultiMap headers) {
        Map<String, String> attributes = new HashMap<>(userId == null ? Map.of() : byUser.getOrDefault(userId, Map.of()));
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(prefix) && name.length() > prefix.length() && !name.equals(userHeader)
                    && !name.equals(prefix + "release")) {
                attributes.put(name.substring(prefix.length()), header.getValue());
            }
        }
        return attributes;
    }
}
