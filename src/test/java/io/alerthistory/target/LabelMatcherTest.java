package io.alerthistory.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {
  private static final Map<String, String> LABELS =
      Map.of("severity", "critical", "namespace", "prod");

  @Test
  void operators() {
    assertThat(LabelMatcher.parse("severity=critical").matches(LABELS)).isTrue();
    assertThat(LabelMatcher.parse("severity!=critical").matches(LABELS)).isFalse();
    assertThat(LabelMatcher.parse("severity=~critical|warning").matches(LABELS)).isTrue();
    assertThat(LabelMatcher.parse("namespace!~dev|test").matches(LABELS)).isTrue();
    assertThat(LabelMatcher.parse("severity = \"critical\"").matches(LABELS)).isTrue();
  }

  @Test
  void regexIsAnchoredAndMissingLabelIsEmpty() {
    assertThat(LabelMatcher.parse("severity=~crit").matches(LABELS)).isFalse();
    assertThat(LabelMatcher.parse("team=").matches(LABELS)).isTrue();
    assertThat(LabelMatcher.parse("team=~.+").matches(LABELS)).isFalse();
  }

  @Test
  void badMatchersExplainThemselves() {
    assertThatThrownBy(() -> LabelMatcher.parse("severity"))
        .hasMessageContaining("is not a matcher");
    assertThatThrownBy(() -> LabelMatcher.parse("1x=y")).hasMessageContaining("is not a matcher");
    assertThatThrownBy(() -> LabelMatcher.parse("a=~("))
        .hasMessageContaining("invalid regular expression");
  }
}
