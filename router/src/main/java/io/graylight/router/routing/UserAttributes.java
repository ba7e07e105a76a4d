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
    private final String releaseHeader;

    public UserAttributes(String headerPrefix, Map<String, Map<String, String>> byUser, String userHeader) {
        this.prefix = headerPrefix.toLowerCase(Locale.ROOT);
        this.byUser = Map.copyOf(byUser);
        this.userHeader = userHeader.toLowerCase(Locale.ROOT);
        this.releaseHeader = prefix + "release";
    }

    public Map<String, String> of(String userId, MultiMap headers) {
        Map<String, String> fromFile = userId == null ? Map.of() : byUser.getOrDefault(userId, Map.of());
        Map<String, String> attributes = null;
        int p = prefix.length();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            // most headers do not start with the prefix: compare in place, lower-case only the ones that do
            if (name.length() > p && name.regionMatches(true, 0, prefix, 0, p) && !name.equalsIgnoreCase(userHeader)
                    && !name.equalsIgnoreCase(releaseHeader)) {
                if (attributes == null) {
                    attributes = new HashMap<>(fromFile);
                }
                attributes.put(name.substring(p).toLowerCase(Locale.ROOT), header.getValue());
            }
        }
        return attributes == null ? fromFile : attributes;
    }
}
