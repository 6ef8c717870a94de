package io.gancluster.core.model.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named entries in declaration order, whose lookup names the known ones when a name is unknown. */
final class Registry<T> {
  private final String kind;
  private final Map<String, T> entries = new LinkedHashMap<>();

  Registry(String kind) {
    this.kind = kind;
  }

  void add(String name, T entry) {
    if (entries.putIfAbsent(name, entry) != null) {
      throw new IllegalStateException(kind + " '" + name + "' is declared twice");
    }
  }

  T get(String name) {
    T entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known: " + String.join(", ", entries.keySet()));
    }
    return entry;
  }

  Map<String, T> all() {
    return Collections.unmodifiableMap(entries);
  }
}
