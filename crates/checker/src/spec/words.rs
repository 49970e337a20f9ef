//! Splits a `[run]` or `[checks]` line of an expected file into bare words and quoted
//! patterns.

/// A word of a `[run]` or `[checks]` line: a bare word or a double-quoted pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Bare(String),
    Quoted(String),
}

/// Splits a line into bare words and double-quoted strings (`\"` and `\\` escape inside quotes).
pub fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(escaped) => text.push(escaped),
                        None => return Err(format!("unclosed quote in `{line}`")),
                    },
                    Some(ch) => text.push(ch),
                    None => return Err(format!("unclosed quote in `{line}`")),
                }
            }
            tokens.push(Token::Quoted(text));
        } else {
            let mut word = String::new();
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                word.push(ch);
                chars.next();
            }
            tokens.push(Token::Bare(word));
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_keeps_quoted_patterns_whole() {
        let tokens = tokenize(r#"before "Thread {int:n}: \"quoted\"" "x" 2"#).unwrap();
        assert_eq!(
            tokens,
            vec![
                Token::Bare("before".into()),
                Token::Quoted("Thread {int:n}: \"quoted\"".into()),
                Token::Quoted("x".into()),
                Token::Bare("2".into()),
            ]
        );
    }
}
