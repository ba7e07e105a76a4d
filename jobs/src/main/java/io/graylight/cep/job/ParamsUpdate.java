package io.graylight.cep.job;

import java.util.Map;

/**
 * A live change of one rule's parameters, as read from the compacted topic
 * {@code graylight.rules} (key = rule id, value = this record as JSON), e.g.
 * {@code {"rule":"canary-error-burst","params":{"minErrorRate":0.2}}}. Only the named params
 * change; each must be declared by the rule with a value of the same type (number, text,
 * boolean). An update that names an unknown rule or param, or changes a type, is refused as a
 * whole (logged and counted) and the previous values stay in force.
 */
public record ParamsUpdate(String rule, Map<String, Object> params) {}
