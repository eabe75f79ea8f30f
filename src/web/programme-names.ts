// The names the portal gives the JCM programmes a project can belong to, shared by the project list
// and each project's page.
export const programmes: Readonly<Record<string, string>> = {
  moej_model_project: 'MOEJ JCM Model Project',
  meti_nedo_demonstration: 'METI/NEDO demonstration',
  adb_jfjcm: 'ADB Japan Fund for the JCM',
  private_sector_jcm: 'Private-sector JCM',
  f_gas: 'F-gas',
  redd_plus: 'REDD+',
};
