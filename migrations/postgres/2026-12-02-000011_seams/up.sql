-- Issue 12: the store's telephone number, for the unreachable letter (X1): "please call us at …".
ALTER TABLE stores ADD COLUMN phone TEXT;
