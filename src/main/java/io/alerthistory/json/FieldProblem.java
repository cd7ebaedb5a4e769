package io.alerthistory.json;

/** One thing wrong with an input document: the JSON path of the field and what is wrong with it. */
public record FieldProblem(String field, String problem) {}
