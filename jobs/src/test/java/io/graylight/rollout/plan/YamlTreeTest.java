package io.graylight.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import io.graylight.rollout.plan.YamlTree.ListNode;
import io.graylight.rollout.plan.YamlTree.MapNode;
import io.graylight.rollout.plan.YamlTree.Position;
import io.graylight.rollout.plan.YamlTree.ScalarNode;
import org.junit.jupiter.api.Test;

class YamlTreeTest {

    @Test
    void keysAndValuesKeepTheirPlaceAndPath() throws PlanException {
        MapNode root = (MapNode) YamlTree.parse("""
                release: chat
                guards:
                  - {metric: error_rate, margin: 0.002}
                  - metric: latency_p95
                    relativeMargin: 0.1
                """, "t.yaml");

        assertThat(root.position()).isEqualTo(new Position(1, 1));
        assertThat(root.field("release").keyPosition()).isEqualTo(new Position(1, 1));
        ScalarNode release = (ScalarNode) root.field("release").value();
        assertThat(release.position()).isEqualTo(new Position(1, 10));
        assertThat(release.text()).isEqualTo("chat");
        assertThat(release.path()).isEqualTo("release");

        ListNode guards = (ListNode) root.field("guards").value();
        assertThat(guards.path()).isEqualTo("guards");
        MapNode second = (MapNode) guards.items().get(1);
        assertThat(second.path()).isEqualTo("guards[1]");
        ScalarNode metric = (ScalarNode) second.field("metric").value();
        assertThat(metric.path()).isEqualTo("guards[1].metric");
        assertThat(metric.position()).isEqualTo(new Position(4, 13));
        assertThat(second.field("relativeMargin").keyPosition()).isEqualTo(new Position(5, 5));
        ScalarNode margin = (ScalarNode) ((MapNode) guards.items().get(0)).field("margin").value();
        assertThat(margin.token()).isEqualTo(JsonToken.VALUE_NUMBER_FLOAT);
        assertThat(margin.number().doubleValue()).isEqualTo(0.002);
        assertThat(margin.position()).isEqualTo(new Position(3, 34));
    }

    @Test
    void scalarsDescribeThemselves() throws PlanException {
        MapNode root = (MapNode) YamlTree.parse("a: five\nb: 5\nc: true\nd:\ne: [1]\nf: {x: 1}\n", "t.yaml");
        assertThat(root.fields().values()).extracting(f -> f.value().describe()).containsExactly(
                "the text 'five'", "the number 5", "the boolean true", "empty", "a list", "a mapping");
    }

    @Test
    void emptyDocumentsHaveNoRoot() throws PlanException {
        assertThat(YamlTree.parse("", "t.yaml")).isNull();
        assertThat(YamlTree.parse("# only a comment\n", "t.yaml")).isNull();
    }

    @Test
    void refusesDeepNesting() {
        String deep = "a: " + "[".repeat(30) + "]".repeat(30) + "\n";
        assertThatThrownBy(() -> YamlTree.parse(deep, "t.yaml")).isInstanceOf(PlanException.class)
                .hasMessageStartingWith("t.yaml:1:").hasMessageEndingWith("nested more than 20 levels deep; a plan is flat");
    }

    @Test
    void problemsAreOneLineEach() {
        assertThat(Problems.oneLine("found \n(10)\t\u0007")).isEqualTo("found \\n(10)\\t\\u0007");
    }
}
