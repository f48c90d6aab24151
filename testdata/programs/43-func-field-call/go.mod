module example.com/func-field-call

go 1.19
