package io.graylight.cep.job;

/**
 * A {@link RuleEvent} on its way to its rule's CEP operator, with the id of that rule. All rules of an
 * input kind share one stream and one keyBy (on {@link RuleEvent#key}); {@link RouteToRules} then hands
 * each event to its rule. Only in flight (never in state), so it may change freely.
 *
 * <p>A Flink POJO (public fields, no-argument constructor).
 */
public class RoutedRuleEvent {
    public String rule;
    public RuleEvent event;

    public RoutedRuleEvent() {}

    public RoutedRuleEvent(String rule, RuleEvent event) {
        this.rule = rule;
        this.event = event;
    }

    /** The key of the shared keyBy: the rule's key, as each CEP operator is keyed. */
    public static String key(RoutedRuleEvent routed) {
        return routed.event.key;
    }

    @Override
    public String toString() {
        return rule + ": " + event;
    }
}
