package io.graylight.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class UsageScannerTest {

    @Test
    void readsUsageFromAJsonBodySplitAcrossChunks() {
        UsageScanner scanner = new UsageScanner(false);
        String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"usage is a word\"}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"cost\":0.002}}";
        scanner.accept(Buffer.buffer(body.substring(0, 40)));
        scanner.accept(Buffer.buffer(body.substring(40)));
        scanner.finish();
        assertThat(scanner.inputTokens()).isEqualTo(12);
        assertThat(scanner.outputTokens()).isEqualTo(34);
        assertThat(scanner.costUsd()).isEqualTo(0.002);
        assertThat(scanner.filtered()).isFalse();
    }

    @Test
    void readsUsageFromTheLastSseChunkWhereverTheChunksSplitLines() {
        UsageScanner scanner = new UsageScanner(true);
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
                + "data: [DONE]\n\n";
        for (int i = 0; i < stream.length(); i += 7) {
            scanner.accept(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + 7))));
        }
        scanner.finish();
        assertThat(scanner.inputTokens()).isEqualTo(5);
        assertThat(scanner.outputTokens()).isEqualTo(1);
        assertThat(scanner.filtered()).isTrue();
    }

    @Test
    void noUsageMeansNoTokensNotZero() {
        UsageScanner scanner = new UsageScanner(false);
        scanner.accept(Buffer.buffer("{\"error\":{\"message\":\"boom\"}}"));
        scanner.finish();
        assertThat(scanner.inputTokens()).isNull();
        assertThat(scanner.outputTokens()).isNull();
    }

    @Test
    void onlyTheTopLevelUsageCountsAndOnlyWellFormedCounts() {
        UsageScanner scanner = new UsageScanner(false);
        scanner.accept(Buffer.buffer("{\"choices\":[{\"message\":{\"usage\":{\"prompt_tokens\":999}}}],"
                + "\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":7.0,\"cost\":-1,\"details\":{\"prompt_tokens\":5}}}"));
        scanner.finish();
        assertThat(scanner.inputTokens()).as("a string is not a count, and the nested 999 is not the call's").isNull();
        assertThat(scanner.outputTokens()).isEqualTo(7);
        assertThat(scanner.costUsd()).as("a negative cost is ignored").isNull();
    }

    @Test
    void aNullUsageInEarlierSseChunksDoesNotHideTheLastOne() {
        UsageScanner scanner = new UsageScanner(true);
        scanner.accept(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"));
        scanner.finish();
        assertThat(scanner.inputTokens()).isEqualTo(3);
        assertThat(scanner.outputTokens()).isEqualTo(2);
        assertThat(scanner.filtered()).isFalse();
    }

    @Test
    void aFilteredJsonBodyStillReportsItsUsage() {
        UsageScanner scanner = new UsageScanner(false);
        scanner.accept(Buffer.buffer("{\"choices\":[{\"finish_reason\":\"content_filter\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":0}}"));
        scanner.finish();
        assertThat(scanner.filtered()).isTrue();
        assertThat(scanner.inputTokens()).isEqualTo(4);
        assertThat(scanner.outputTokens()).isZero();
    }
}
