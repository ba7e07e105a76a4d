package io.graylight.report;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** Where a report's data comes from: a replay (decisions file plus telemetry) or Elasticsearch. */
public interface ReportSource {

    /** The release's decisions, metric windows and alerts; empty lists when it has none. */
    ReportData load(String release) throws IOException, ReportException;

    /** Releases the source has data for, to help when the asked-for one has none. */
    Set<String> releases() throws IOException, ReportException;

    /** Where the data came from, for the report's header, e.g. {@code replay of t.jsonl.gz}. */
    String describe();

    /** Records the source skipped (a document that is not the record it should be), one line each. */
    default List<String> warnings() {
        return List.of();
    }
}
