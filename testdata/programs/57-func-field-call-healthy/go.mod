module example.com/func-field-call-healthy

go 1.19
