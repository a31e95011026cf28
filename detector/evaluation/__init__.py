"""Evaluating whole verdicts, above the core: the test-split figures beside the baseline
(`verdicts`), the model card built from them (`card`) and its pictures (`plots`), the
campaign memory's threshold study and held-out figures (`campaigns`), and the release
step that measures a trained model and writes its card (`release`)."""
