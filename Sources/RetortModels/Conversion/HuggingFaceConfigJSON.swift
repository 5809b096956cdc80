// The config.json of an exported model, as transformers writes it for LlamaForCausalLM,
// MistralForCausalLM and Qwen2ForCausalLM: the architecture from the model's config, the special
// token ids from its tokenizer, the dtype of the stored weights.

enum HuggingFaceConfigJSON {
    static func make(config: LlamaConfig, family: LlamaFamily, tokenizer: GGUFModelInfo.Tokenizer, dtype: SafeTensorsDType,
                     file: String) throws -> OrderedJSON {
        // transformers' LLaMA attention_bias also biases o_proj, which this kernel has none of; a
        // model with q/k/v biases only is a Qwen2 model there.
        if family != .qwen2 && config.attentionBias {
            throw ModelConversionError(file: file, "a \(family.rawValue) model with q/k/v biases only has no transformers equivalent; set model_type qwen2 (the same architecture with those biases)")
        }
        if family == .qwen2 && !config.attentionBias {
            throw ModelConversionError(file: file, "a qwen2 model without q/k/v biases has no transformers equivalent; set model_type llama")
        }
        let torchDType: String
        switch dtype {
        case .f32: torchDType = "float32"
        case .f16: torchDType = "float16"
        case .bf16: torchDType = "bfloat16"
        default: throw ModelConversionError(file: file, "weights can be stored as F32, F16 or BF16, not \(dtype.rawValue)")
        }
        var members: [(String, OrderedJSON)] = [
            ("architectures", .array([.string(family.huggingFaceClass)])),
            ("model_type", .string(family.rawValue)),
        ]
        if family == .llama {
            members += [("attention_bias", .bool(config.attentionBias)), ("mlp_bias", .bool(false)), ("pretraining_tp", .int(1))]
        }
        members += [
            ("attention_dropout", .double(0)),
            ("bos_token_id", tokenizer.bosTokenID.map(OrderedJSON.int) ?? .null),
            ("eos_token_id", tokenizer.eosTokenID.map(OrderedJSON.int) ?? .null),
            ("head_dim", .int(config.resolvedHeadDim)),
            ("hidden_act", .string("silu")),
            ("hidden_size", .int(config.hiddenSize)),
            ("initializer_range", .float(config.initializerRange)),
            ("intermediate_size", .int(config.intermediateSize)),
            ("max_position_embeddings", .int(config.maxPositionEmbeddings)),
            ("num_attention_heads", .int(config.numAttentionHeads)),
            ("num_hidden_layers", .int(config.numHiddenLayers)),
            ("num_key_value_heads", .int(config.numKeyValueHeads)),
        ]
        if let factor = config.partialRotaryFactor, factor != 1 { members.append(("partial_rotary_factor", .float(factor))) }
        members += [
            ("rms_norm_eps", .float(config.rmsNormEps)),
            ("rope_scaling", .null),
            ("rope_theta", .float(config.ropeTheta)),
        ]
        if family != .llama { members += [("sliding_window", .null)] }
        if family == .qwen2 { members += [("use_sliding_window", .bool(false))] }
        members += [
            ("tie_word_embeddings", .bool(config.tieWordEmbeddings)),
            ("torch_dtype", .string(torchDType)),
            ("use_cache", .bool(true)),
            ("vocab_size", .int(config.vocabSize)),
        ]
        return .object(members)
    }

    /// generation_config.json: the special tokens generation starts and stops on.
    static func generationConfig(_ tokenizer: GGUFModelInfo.Tokenizer) -> OrderedJSON {
        var members: [(String, OrderedJSON)] = []
        if let bos = tokenizer.bosTokenID { members.append(("bos_token_id", .int(bos))) }
        if let eos = tokenizer.eosTokenID { members.append(("eos_token_id", .int(eos))) }
        if let pad = tokenizer.paddingTokenID { members.append(("pad_token_id", .int(pad))) }
        return .object(members)
    }
}
