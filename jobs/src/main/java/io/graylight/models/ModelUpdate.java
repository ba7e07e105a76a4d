package io.graylight.models;

/**
 * A model version to serve, broadcast to running scorers (compacted topic {@code graylight.models},
 * key = model): the directory holds {@code model.ser}, its {@code .sha256} and {@code metadata.json}
 * and must be readable by every task manager (a shared volume or the image). Every job that serves
 * a model follows the records of its own model ({@code anomaly}, {@code targeting}) and ignores the
 * others. {@code graylight models publish} writes them.
 *
 * @param model the model id, also the record key
 * @param version the version being rolled out, for the log; the served id comes from the metadata
 * @param path the model directory, as the task managers see it
 */
public record ModelUpdate(String model, String version, String path) {

    /** Why the job cannot act on this record, or null: a record without a model or a path is skipped. */
    public String problem() {
        if (model == null || model.isBlank()) {
            return "a model update names no model";
        }
        if (path == null || path.isBlank()) {
            return "the update of model '" + model + "' names no path";
        }
        return null;
    }
}
