package io.graylight.ml.store;

import java.util.List;
import java.util.Map;

/**
 * What {@code metadata.json} beside a model file says about it. Scorers read {@link #features()}
 * to check that they build vectors in the order the model was trained on.
 *
 * @param model the model id, e.g. {@code anomaly} or {@code targeting}
 * @param version the version, e.g. {@code v1}; also the directory name
 * @param algorithm what was trained, e.g. {@code isolation-forest}
 * @param modelClass the Java class of the serialized object in {@link #file()}
 * @param file the model file name in the same directory
 * @param features feature names, in vector order
 * @param threshold the decision threshold on the score
 * @param seed the training seed; the same seed and data give the same model
 * @param trainingData how the training data was made
 * @param trainingDataSha256 SHA-256 of the training vectors (as little-endian doubles, row by row)
 * @param trainingRows how many training vectors
 * @param evaluation held-out metrics, e.g. precision, recall, auc
 * @param smileVersion the Smile version that trained it
 * @param createdBy the command that made it
 */
public record ModelMetadata(
        String model,
        String version,
        String algorithm,
        String modelClass,
        String file,
        List<String> features,
        double threshold,
        long seed,
        String trainingData,
        String trainingDataSha256,
        long trainingRows,
        Map<String, Double> evaluation,
        String smileVersion,
        String createdBy) {

    public static final String SMILE_VERSION = "3.1.1";
}
