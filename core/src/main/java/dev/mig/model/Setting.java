package dev.mig.model;

/**
 * One resolved setting: its value (null when nothing set it) and where that value came from, in
 * the words a hint uses ("the step's lockTimeout").
 */
public record Setting<T>(T value, String source) {
}
