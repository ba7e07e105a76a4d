package io.graylight.elasticsearch;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes each {@link EsDocument} under its own id, so a retried or replayed document overwrites
 * itself instead of adding a copy. Before the first document it installs the index templates: a
 * document must never reach an index before its mapping does, or Elasticsearch would guess one.
 * If Elasticsearch is unreachable then, opening fails and the job restarts with its backoff.
 */
public final class DocumentEmitter implements ElasticsearchEmitter<EsDocument> {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentEmitter.class);

    private final List<URI> hosts;

    public DocumentEmitter(List<URI> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    @Override
    public void open() throws Exception {
        IOException last = null;
        for (URI host : hosts) {
            try {
                List<String> installed = IndexTemplates.installMissing(host);
                if (!installed.isEmpty()) {
                    LOG.info("Installed index templates {} on {}", installed, host);
                }
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("cannot install the index templates on any of " + hosts, last);
    }

    @Override
    public void emit(EsDocument document, SinkWriter.Context context, RequestIndexer indexer) {
        indexer.add(new IndexRequest(document.index).id(document.id).source(document.source, XContentType.JSON));
    }
}
