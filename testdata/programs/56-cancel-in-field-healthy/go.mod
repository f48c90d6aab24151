module example.com/cancel-in-field-healthy

go 1.19
