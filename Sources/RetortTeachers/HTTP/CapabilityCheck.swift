// Refuses, before anything is sent or paid for, what a teacher said it cannot do.
extension TeacherCapabilities {
    func check(_ request: TeacherRequest, teacher: TeacherIdentity) throws(TeacherError) {
        if let k = request.topLogprobs {
            if maxTopLogprobs == 0 {
                throw .unsupported("\(teacher.description) gives no log-probabilities; drop top_logprobs or use a teacher that has them")
            }
            if k > maxTopLogprobs {
                throw .unsupported("\(teacher.description) gives at most \(maxTopLogprobs) top log-probabilities, \(k) were asked")
            }
        }
        if !vision && request.messages.contains(where: \.hasImages) {
            throw .unsupported("\(teacher.description) takes no images; declare `vision: true` in the teacher block if the model has it")
        }
        if request.maxTokens >= maxContext {
            throw .invalidRequest("max_tokens \(request.maxTokens) does not fit the model's context of \(maxContext) tokens")
        }
    }
}
