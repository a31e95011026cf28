"""Chinese text normalisation shared by the red flags and the models.

Scammers write 刷單 (traditional script), 刷単 (a Japanese variant), 唰单 (an extra radical)
or 简厉 (a same-sounding character) so that keyword filters miss them. `fold_zh` rewrites
them to the simplified key term, one character for one character, so evidence offsets found
in the folded text are offsets in the pasted text too.

    from detector.textnorm import fold_zh
    fold_zh("招聘刷單員，唰单日結")  # -> "招聘刷单员，刷单日结"

- `zh.py`: the folding itself (tables in `zh_fold.json`, read once, lazily);
- `build.py`: how the tables are made from offline data (OpenCC's conversion tables,
  pypinyin's readings, jieba's word list): `python -m detector.textnorm.build`;
- `lookalikes.py`: the key terms that lookalikes are folded into, and a hand list of
  observed substitutions split into two halves (one informs the folding, the other is only
  used by the rule QA to check the folding on substitutions it never saw).
"""

from __future__ import annotations

from detector.textnorm.zh import ZhFold, fold_zh, load_zh_fold

__all__ = ["ZhFold", "fold_zh", "load_zh_fold"]
