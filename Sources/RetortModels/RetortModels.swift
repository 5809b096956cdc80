// RetortModels: the decoder LM (LLaMA family), LoRA, GGUF/safetensors I/O, tokenizers, chat
// templates and generation. Filled in by the training-kernel and models issues.
