package untouched

func Unused() {}
