; MASH Desk: the Windows installer (Inno Setup 6.3 or newer).
;
; It wraps the one-folder PyInstaller build made ON A WINDOWS BUILD MACHINE from
; installer/mash-desk.spec (build\installer\dist\mash-desk\ with mash-desk.exe for the window,
; mash-desk-cli.exe for the console commands, and _internal\). installer\windows\build.ps1 does
; both steps. This script cannot be compiled on the project's Linux machines and has NOT been built
; or tested there: the first Windows build must be checked by hand (see installer/README.md).
;
; Per-machine install to C:\Program Files\MASH Desk (administrator rights), Start-menu entry,
; optional desktop icon, uninstaller (Settings > Apps, or unins000.exe).
;
; Silent install for Group Policy / Intune / SCCM / PDQ:
;   mash-desk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- /LOG="C:\Windows\Temp\mash-desk-setup.log"
; options:
;   /DIR="D:\Apps\MASH Desk"     install somewhere else
;   /TASKS="desktopicon"         also put an icon on the desktop (all users)
;   /PROFILE="\\server\share\profiles.toml"
;                                copy IT's machine-wide connection profiles to
;                                C:\ProgramData\MASH Desk\profiles.toml (replacing the one there);
;                                a file containing a password is refused and nothing is installed
;   /CACERT="\\server\share\hub-ca.pem"
;                                copy the CA certificate of the database server to
;                                C:\ProgramData\MASH Desk\hub-ca.pem (point sslrootcert at it)
; Without /PROFILE an existing C:\ProgramData\MASH Desk\profiles.toml is left exactly as it is,
; and uninstalling never deletes it (it is IT's configuration, not the program's).
; Silent uninstall:
;   "C:\Program Files\MASH Desk\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Exit codes: 0 done; 1 Setup failed to initialise (e.g. a bad /PROFILE); 2 cancelled;
; 5 or 6 an install step failed (Inno Setup's documented codes).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\build\installer\dist\mash-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\build\installer"
#endif

[Setup]
; the AppId identifies MASH Desk for upgrades and uninstall: never change it
AppId={{C2536618-8A36-43F6-A671-FFF4F1384E26}
AppName=MASH Desk
AppVersion={#AppVersion}
AppVerName=MASH Desk {#AppVersion}
AppPublisher=MASH Desk
VersionInfoVersion={#AppVersion}
VersionInfoProductName=MASH Desk
DefaultDirName={autopf}\MASH Desk
DefaultGroupName=MASH Desk
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=mash-desk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\mash-desk.ico
UninstallDisplayIcon={app}\mash-desk.exe
UninstallDisplayName=MASH Desk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
Name: "{commonappdata}\MASH Desk"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\profiles.toml.example"; DestDir: "{commonappdata}\MASH Desk"; Flags: ignoreversion
Source: "{param:PROFILE}"; DestDir: "{commonappdata}\MASH Desk"; DestName: "profiles.toml"; Flags: external ignoreversion uninsneveruninstall; Check: ParameterGiven('PROFILE')
Source: "{param:CACERT}"; DestDir: "{commonappdata}\MASH Desk"; DestName: "hub-ca.pem"; Flags: external ignoreversion uninsneveruninstall; Check: ParameterGiven('CACERT')

[Icons]
Name: "{autoprograms}\MASH Desk"; Filename: "{app}\mash-desk.exe"; WorkingDir: "{app}"; Comment: "Multi-Agency Safeguarding Hub case desk"
Name: "{autodesktop}\MASH Desk"; Filename: "{app}\mash-desk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\mash-desk.exe"; Description: "{cm:LaunchProgram,MASH Desk}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; anything the program left beside itself (it writes nothing there, but an uninstall leaves no trace)
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function ParameterGiven(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;

function Refuse(Message: String): Boolean;
begin
  Log(Message);
  SuppressibleMsgBox(Message, mbCriticalError, MB_OK, IDOK);
  Result := False;
end;

{ Check IT's files before anything is installed: a missing file or a profile holding a password
  stops Setup (exit code 1) rather than leaving a workstation half configured. }
function InitializeSetup(): Boolean;
var
  Profile, CaCert: String;
  Lines: TArrayOfString;
  I: Integer;
begin
  Result := True;
  Profile := ExpandConstant('{param:PROFILE|}');
  CaCert := ExpandConstant('{param:CACERT|}');
  if (CaCert <> '') and not FileExists(CaCert) then
  begin
    Result := Refuse('MASH Desk Setup: the CA certificate given with /CACERT does not exist: ' + CaCert);
    Exit;
  end;
  if Profile = '' then
    Exit;
  if not FileExists(Profile) then
  begin
    Result := Refuse('MASH Desk Setup: the profile file given with /PROFILE does not exist: ' + Profile);
    Exit;
  end;
  if not LoadStringsFromFile(Profile, Lines) then
  begin
    Result := Refuse('MASH Desk Setup: the profile file given with /PROFILE cannot be read: ' + Profile);
    Exit;
  end;
  for I := 0 to GetArrayLength(Lines) - 1 do
    if Pos('password', Lowercase(Trim(Lines[I]))) = 1 then
    begin
      Result := Refuse('MASH Desk Setup: ' + Profile + ' line ' + IntToStr(I + 1) +
        ' holds a password. Profiles never hold passwords: each person''s password is kept in ' +
        'Windows Credential Manager by MASH Desk. Remove it and run Setup again.');
      Exit;
    end;
end;
