package io.graylight.contracts.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An operator command on the {@code graylight.commands} topic, keyed by {@link #release}, so that
 * the commands for one release stay in order.
 *
 * <p>A {@link CommandType#START} carries the plan file's text ({@code planYaml}) and its name
 * ({@code planSource}, for file:line messages) rather than a parsed plan: the job validates it again
 * with the same parser the CLI used, so a plan means the same in both places, and an old command
 * replayed after an upgrade is judged by the rules of the running version.
 *
 * <p>Read commands with {@link RolloutCommands#decode}, which never throws; the constructor
 * refuses what {@code decode} refuses.
 *
 * @param commandId unique; lets the job ignore a command it has already applied
 * @param release the release this acts on; for START the plan's {@code release} ({@code *} for all)
 * @param planYaml START only: the plan file's text
 * @param planSource START only: where the plan came from, e.g. {@code rollouts/chat.yaml}; optional
 * @param reason why, for the audit trail; optional
 * @param issuedBy who, e.g. {@code alice@ops-host}
 * @param issuedAt when the operator issued it
 */
public record RolloutCommand(
        UUID commandId,
        CommandType type,
        String release,
        String planYaml,
        String planSource,
        String reason,
        String issuedBy,
        Instant issuedAt) {

    public RolloutCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (release == null || release.isBlank()) {
            throw new IllegalArgumentException("release must not be blank");
        }
        if (issuedBy == null || issuedBy.isBlank()) {
            throw new IllegalArgumentException("issuedBy must not be blank");
        }
        if (type.carriesPlan() && (planYaml == null || planYaml.isBlank())) {
            throw new IllegalArgumentException(type + " needs a plan (planYaml)");
        }
        if (!type.carriesPlan() && (planYaml != null || planSource != null)) {
            throw new IllegalArgumentException(type + " must not carry a plan");
        }
    }

    /** A START with a fresh id. */
    public static RolloutCommand start(
            String release, String planYaml, String planSource, String reason, String issuedBy, Instant issuedAt) {
        return new RolloutCommand(UUID.randomUUID(), CommandType.START, release, planYaml, planSource, reason,
                issuedBy, issuedAt);
    }

    /** A PAUSE, RESUME, ABORT or PROMOTE with a fresh id. */
    public static RolloutCommand of(CommandType type, String release, String reason, String issuedBy, Instant issuedAt) {
        return new RolloutCommand(UUID.randomUUID(), type, release, null, null, reason, issuedBy, issuedAt);
    }
}
