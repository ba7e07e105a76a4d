package io.graylight.contracts.command;

/** What {@link RolloutCommands#decode} made of one record: exactly one of the two is non-null. */
public record DecodedCommand(RolloutCommand command, String problem) {

    public static DecodedCommand valid(RolloutCommand command) {
        return new DecodedCommand(command, null);
    }

    public static DecodedCommand invalid(String problem) {
        return new DecodedCommand(null, problem);
    }

    public boolean isValid() {
        return command != null;
    }
}
