//! Search folding: what a person types without diacritics ("giay phep xay dung") must find
//! the Vietnamese text ("Giấy phép xây dựng"). Both sides are folded: lower case, tone and
//! vowel marks removed, đ → d, runs of non-alphanumerics to one space.

/// Folds one character to its base letter (lower case), or `None` for combining marks.
fn fold_char(c: char) -> Option<char> {
    let base = match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ' | 'ẫ'
        | 'ậ' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở' | 'ỡ'
        | 'ợ' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'đ' => 'd',
        '\u{0300}'..='\u{036F}' => return None,
        c => c,
    };
    Some(base)
}

/// Folds a text for searching.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase).filter_map(fold_char) {
        if c.is_alphanumeric() || c == '.' {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The folded words of a query (empty words dropped), at most 8.
pub fn terms(query: &str) -> Vec<String> {
    fold(query).split(' ').filter(|w| !w.is_empty()).take(8).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_case_and_d_are_folded() {
        assert_eq!(fold("Giấy phép xây dựng"), "giay phep xay dung");
        assert_eq!(fold("ĐĂNG KÝ KHAI SINH"), "dang ky khai sinh");
        assert_eq!(fold("Đất đai"), "dat dai");
        assert_eq!(fold("Chứng thực bản sao từ bản chính"), "chung thuc ban sao tu ban chinh");
        assert_eq!(fold("Nguye\u{0302}\u{0303}n"), "nguyen", "decomposed marks");
        assert_eq!(fold("  Hộ   kinh-doanh, cá thể! "), "ho kinh doanh ca the");
        assert_eq!(fold("1.001193"), "1.001193", "procedure codes stay searchable");
    }

    #[test]
    fn every_vietnamese_vowel_folds_to_ascii() {
        let all = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
        let folded = fold(all);
        assert!(folded.chars().all(|c| c.is_ascii_lowercase()), "{folded}");
        assert_eq!(fold(&all.to_uppercase()), folded);
    }

    #[test]
    fn query_terms() {
        assert_eq!(terms("giay phep  XAY dựng"), vec!["giay", "phep", "xay", "dung"]);
        assert!(terms("  ,, ").is_empty());
        assert_eq!(terms("a b c d e f g h i j").len(), 8);
    }
}
